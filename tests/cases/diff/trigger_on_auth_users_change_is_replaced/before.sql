create schema auth;
create table auth.users (id uuid primary key, email text, raw_user_meta_data jsonb);
create function auth.audit() returns trigger language plpgsql as $$begin return new; end$$;
create trigger audit_users after update on auth.users for each row execute function auth.audit();
create schema app;
create table app.profiles (id uuid primary key, email text);
create function app.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$begin insert into app.profiles (id, email) values (new.id, new.email); return new; end$$;
create trigger on_auth_user_created after insert on auth.users for each row execute function app.handle_new_user();
