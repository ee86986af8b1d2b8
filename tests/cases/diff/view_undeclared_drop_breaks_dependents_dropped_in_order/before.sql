create schema app; create table app.tasks (id int primary key, title text not null, done boolean not null default false);
create view app.z_open as select id, title from app.tasks where not done;
create view app.a_open_titles as select title from app.z_open;
