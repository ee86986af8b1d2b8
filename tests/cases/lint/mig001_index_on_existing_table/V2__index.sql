create index t_x on t (x);
