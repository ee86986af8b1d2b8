create schema app; create schema reporting; create table app.tasks (id int primary key, title varchar(50) not null);
create view reporting.task_titles as select id, title from app.tasks;
