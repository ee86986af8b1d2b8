create schema app; create table app.tasks (id int primary key, title text not null, done boolean not null default false);
