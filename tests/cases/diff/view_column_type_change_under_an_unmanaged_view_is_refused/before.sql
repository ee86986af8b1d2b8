create schema app; create table app.tasks (id int primary key, title varchar(50) not null);
create view app.task_titles as select id, title from app.tasks;
