alter table t add constraint t_x_excl exclude using btree (x with =);
