-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.articles (
    id int primary key,
    title text not null,
    body text not null default '',
    updated_at timestamptz not null default now(),
    version int not null default 1
);
create table app.article_log (
    id bigserial primary key,
    article_id int not null,
    op text not null,
    at timestamptz not null default now()
);
create function app.touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  new.version := old.version + 1;
  return new;
end
$$;
create function app.log_change() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into app.article_log (article_id, op) values (coalesce(new.id, old.id), tg_op);
  return null;
end
$$;
create function app.forbid_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'truncate % is not allowed', tg_table_name;
end
$$;
create trigger articles_touch before update of title, body on app.articles
    for each row when (old.* is distinct from new.*) execute function app.touch();
create trigger articles_log after insert or update or delete on app.articles
    for each row execute function app.log_change();
create trigger articles_no_truncate before truncate on app.articles
    for each statement execute function app.forbid_truncate();
create trigger articles_disabled after insert on app.articles
    for each row execute function app.log_change();
alter table app.articles disable trigger articles_disabled;
