alter table t add constraint t_u_fk foreign key (id) references u (id);
