insert into app.invoices (id) values (1), (2);
do $$ begin
  if (select max(no) from app.invoices) <> 2 then raise exception 'default not from the sequence'; end if;
  if pg_get_serial_sequence('app.invoices', 'no') <> 'app.invoice_no' then raise exception 'not owned'; end if;
end $$;
