do $$ begin
  if nextval('app.invoice_no') <> 2 then
    raise exception 'the sequence was reset';
  end if;
end $$;
