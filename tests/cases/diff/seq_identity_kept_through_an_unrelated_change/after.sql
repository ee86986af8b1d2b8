insert into app.notes (body) values ('c');
do $$ begin
  if (select id from app.notes where body = 'c') <> 3 then raise exception 'identity restarted'; end if;
end $$;
