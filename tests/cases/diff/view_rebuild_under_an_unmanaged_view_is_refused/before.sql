create schema app; create schema reporting; create table app.tasks (id int primary key, title text not null, done boolean not null default false);
create view app.open_tasks as select id, title, done from app.tasks where not done;
create view reporting.open_titles as select title from app.open_tasks;
