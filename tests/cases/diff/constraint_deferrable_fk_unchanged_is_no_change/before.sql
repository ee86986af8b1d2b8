create schema app;
create table app.parents (id int primary key);
create table app.children (id int primary key, parent_id int not null,
  constraint children_parent_id_fkey foreign key (parent_id) references app.parents (id) deferrable);
