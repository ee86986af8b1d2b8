insert into app.notes (body) values ('a'), ('b');
do $$ begin
  if (select max(id) from app.notes) <> 2 then raise exception 'serial broken'; end if;
end $$;
