create schema app;
create procedure app.archive(days integer) language sql as $$select 1$$;
