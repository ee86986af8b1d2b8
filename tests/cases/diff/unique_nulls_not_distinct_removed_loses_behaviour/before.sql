create schema app;
create table app.tags (id int primary key, owner int, label text not null, constraint tags_owner_label_key unique nulls not distinct (owner, label));
