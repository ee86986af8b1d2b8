create schema app; create table app.tasks (id int primary key, title text not null, done boolean not null default false);
create materialized view app.task_stats as select done, count(*) as n from app.tasks group by done;
create unique index task_stats_done_idx on app.task_stats (done);
