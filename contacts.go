package retreaver

// ContactsService manages contacts, which tie calls from several numbers to one person.
type ContactsService service

// ContactNumbersService updates and removes a contact's numbers by phone number.
type ContactNumbersService service
