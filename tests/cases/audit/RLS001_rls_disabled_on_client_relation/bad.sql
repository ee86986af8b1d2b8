create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
grant select, insert, update, delete on app.docs to app_user;
