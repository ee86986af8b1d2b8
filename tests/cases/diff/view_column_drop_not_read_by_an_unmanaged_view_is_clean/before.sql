create schema app; create schema reporting; create table app.tasks (id int primary key, title text not null, notes text);
create view reporting.task_titles as select id, title from app.tasks;
