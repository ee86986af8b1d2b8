create schema app; create table app.tasks (id int primary key, title text not null, notes text);
create view app.task_notes as select id, notes from app.tasks;
