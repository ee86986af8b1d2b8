create schema app; create table app.tasks (id int primary key, title text not null, notes text);
create view app.task_titles as select id, title from app.tasks;
