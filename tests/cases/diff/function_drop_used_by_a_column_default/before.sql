create schema app;
create function app.new_code() returns text language sql volatile as $$select md5(random()::text)$$;
create table app.notes (id int primary key, code text not null default app.new_code());
