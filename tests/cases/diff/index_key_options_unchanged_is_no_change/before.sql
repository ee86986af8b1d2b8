create schema app;
create table app.posts (id int primary key, title text not null, created_at timestamptz);

create index posts_recent_idx on app.posts (created_at desc nulls last, title text_pattern_ops);
create index posts_title_c_idx on app.posts (title collate "C" desc);
