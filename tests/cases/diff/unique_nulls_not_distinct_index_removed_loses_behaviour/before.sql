create schema app;
create table app.tags (id int primary key, owner int, label text not null);
create unique index tags_label_idx on app.tags (label, owner) nulls not distinct;
