do $$ begin
  if nextval('app.invoice_no') <> 1000 or nextval('app.invoice_no') <> 1005 then
    raise exception 'sequence options not applied';
  end if;
end $$;
