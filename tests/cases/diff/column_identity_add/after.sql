-- The identity starts after the largest id: no duplicate key.
insert into app.notes (body) values ('after');
do $$ begin
  if (select id from app.notes where body = 'after') <> 8 then
    raise exception 'identity did not start after the largest id';
  end if;
end $$;
