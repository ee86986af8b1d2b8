create schema app; create table app.tasks (id int primary key, title text not null, done boolean not null default false);
create view app.open_tasks as select id, title from app.tasks where not done;
