-- The counter is kept: 3, then 3 + 10.
do $$ begin
  if nextval('app.invoice_no') <> 13 then
    raise exception 'the sequence was reset';
  end if;
end $$;
