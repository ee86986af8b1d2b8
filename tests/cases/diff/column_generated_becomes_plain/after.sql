-- The computed values stay; new rows set the column themselves.
do $$ begin
  if (select total from app.lines where id = 1) is distinct from 6 then
    raise exception 'the stored value was lost';
  end if;
end $$;
insert into app.lines (id, qty, price, total) values (2, 1, 1, 99);
