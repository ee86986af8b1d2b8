insert into app.notes (id) values (3);
do $$ begin
  if (select n from app.notes where id = 3) <> 3 then raise exception 'serial did not continue'; end if;
end $$;
