create schema app;
create table app.posts (id int primary key, title text not null, created_at timestamptz);

create index posts_recent_idx on app.posts (created_at);
