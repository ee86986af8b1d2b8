create schema app;
create sequence app.invoice_no as integer start with 100 increment by 2 maxvalue 5000 cycle;
comment on sequence app.invoice_no is 'numbers';
