insert into app.notes (body) values ('d');
do $$ begin
  if (select id from app.notes where body = 'd') <> 4 then raise exception 'serial restarted'; end if;
end $$;
