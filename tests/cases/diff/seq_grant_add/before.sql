create schema app;
create sequence app.invoice_no;
