insert into app.lines (id, qty, price) values (1, 4, 5);
do $$ begin
  if (select total from app.lines) <> 20 then raise exception 'not computed'; end if;
end $$;
