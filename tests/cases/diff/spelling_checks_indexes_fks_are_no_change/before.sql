create schema app;
create table app.users (id int primary key);
create table app.notes (id int primary key, body text not null, n int not null, user_id int,
  constraint n_positive check ((((n)) > 0)),
  foreign key (user_id) references app.users (id) on delete no action);
create index notes_lower_idx on app.notes using btree (LOWER( body )) where ((n > 1));
