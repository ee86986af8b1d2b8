create schema auth;
create table auth.users (id uuid primary key, email text, raw_user_meta_data jsonb);
create function auth.audit() returns trigger language plpgsql as $$begin return new; end$$;
create trigger audit_users after update on auth.users for each row execute function auth.audit();
