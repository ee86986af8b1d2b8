create schema app;
create sequence app.invoice_no;
select nextval('app.invoice_no');
