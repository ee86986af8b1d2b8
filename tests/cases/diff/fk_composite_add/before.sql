create schema app;
create table app.projects (tenant int not null, id int not null, primary key (id), unique (tenant, id));
create table app.tasks (id int primary key, tenant int not null, project_id int not null);
insert into app.projects values (1, 10); insert into app.tasks values (1, 1, 10);
