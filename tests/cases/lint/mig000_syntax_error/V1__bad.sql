create table t (x int);
selec 1;
