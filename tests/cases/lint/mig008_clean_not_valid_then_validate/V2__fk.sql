alter table t add constraint t_u_fk foreign key (id) references u (id) not valid;
alter table t validate constraint t_u_fk;
