create schema app;
create table app.posts (id int primary key, title text not null, created_at timestamptz);

create index posts_title_idx on app.posts (title);
