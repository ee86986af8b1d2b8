-- Table, sequence, function and schema privileges, WITH GRANT OPTION too.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role pc_reporting nologin; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role pc_writer nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user, pc_reporting;
grant usage, create on schema app to pc_writer;
create table app.facts (id bigserial primary key, v int not null);
grant select on app.facts to pc_reporting with grant option;
grant select, insert, update, delete, truncate, references, trigger on app.facts to pc_writer;
grant select, insert on app.facts to app_user;
grant usage, select, update on sequence app.facts_id_seq to pc_writer;
grant usage on sequence app.facts_id_seq to app_user;
create function app.fact_count() returns bigint language sql stable as $$ select count(*) from app.facts $$;
revoke execute on function app.fact_count() from public;
grant execute on function app.fact_count() to pc_reporting;
comment on schema app is 'facts and figures';
