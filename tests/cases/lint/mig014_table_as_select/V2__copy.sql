create table t_copy as select * from t;
