create schema app; create table app.tasks (id int primary key, title varchar(50) not null, done boolean not null default false);
create view app.open_tasks as select id, title from app.tasks where not done;
create view app.a_open_titles as select title from app.open_tasks;
grant select on app.a_open_titles to app_user;
