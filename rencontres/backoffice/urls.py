from django.urls import include, path

from . import fee_grid, invitations, invoices, outcomes, payments, person, sessions, views

app_name = "backoffice"

urlpatterns = [
    path("organiser/two-factor/", views.two_factor, name="two_factor"),
    path("organiser/login/", views.LoginView.as_view(), name="login"),
    path("organiser/logout/", views.LogoutView.as_view(), name="logout"),
    path("organiser/<int:number>/", views.home, name="home"),
    path("organiser/<int:number>/outcomes/", outcomes.outcomes_page, name="outcomes"),
    path("organiser/<int:number>/outcomes.xlsx", outcomes.outcomes_xlsx, name="outcomes_xlsx"),
    path("organiser/<int:number>/registrations/", views.registration_list, name="registrations"),
    path(
        "organiser/<int:number>/registrations/new/",
        person.registration_new,
        name="registration_new",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/",
        person.registration_page,
        name="registration",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/details/",
        person.registration_details,
        name="registration_details",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/sessions/",
        person.registration_sessions,
        name="registration_sessions",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/replace/",
        person.registration_replace,
        name="registration_replace",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/act/",
        person.registration_do,
        name="registration_do",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/emails/<int:email_pk>/send-again/",
        person.email_resend,
        name="email_resend",
    ),
    path(
        "organiser/<int:number>/registrations/act/",
        views.registration_action,
        name="registration_action",
    ),
    path(
        "organiser/<int:number>/registrations/export.csv",
        views.registration_export,
        {"kind": "csv"},
        name="export_csv",
    ),
    path(
        "organiser/<int:number>/registrations/export.xlsx",
        views.registration_export,
        {"kind": "xlsx"},
        name="export_xlsx",
    ),
    path("organiser/<int:number>/sessions/", sessions.session_list, name="sessions"),
    path("organiser/<int:number>/sessions/<int:pk>/", sessions.session_page, name="session"),
    path(
        "organiser/<int:number>/sessions/<int:pk>/door-list.pdf",
        sessions.session_door_list,
        name="session_door_list",
    ),
    path(
        "organiser/<int:number>/sessions/<int:pk>/list.xlsx",
        sessions.session_spreadsheet,
        name="session_spreadsheet",
    ),
    path(
        "organiser/<int:number>/sessions/<int:pk>/people/<int:registration_pk>/",
        sessions.session_person,
        name="session_person",
    ),
    path(
        "organiser/<int:number>/sessions/<int:pk>/people/<int:registration_pk>/give-place/",
        sessions.session_promote,
        name="session_promote",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/fees/",
        fee_grid.registration_fees,
        name="registration_fees",
    ),
    path("organiser/<int:number>/fees/", fee_grid.grid, name="fees"),
    path("organiser/<int:number>/fees/new/", fee_grid.fee_page, name="fee_new"),
    path("organiser/<int:number>/fees/<int:pk>/", fee_grid.fee_page, name="fee"),
    path("organiser/<int:number>/fees/extras/new/", fee_grid.extra_page, name="extra_new"),
    path("organiser/<int:number>/fees/extras/<int:pk>/", fee_grid.extra_page, name="extra"),
    path("organiser/<int:number>/fees/members/", fee_grid.members, name="fee_members"),
    path("organiser/<int:number>/audit/", views.audit_log, name="audit"),
    path("organiser/<int:number>/invitations/", invitations.invitation_list, name="invitations"),
    path(
        "organiser/<int:number>/invitations/send/",
        invitations.invitation_send,
        name="invitation_send",
    ),
    path(
        "organiser/<int:number>/invitations/past-participants/",
        invitations.invitation_returning,
        name="invitation_returning",
    ),
    path(
        "organiser/<int:number>/invitations/import/",
        invitations.invitation_import,
        name="invitation_import",
    ),
    path(
        "organiser/<int:number>/invitations/import/<int:pk>/",
        invitations.invitation_preview,
        name="invitation_preview",
    ),
    path("organiser/<int:number>/privacy/", include("rencontres.privacy.backoffice_urls")),
    path("organiser/<int:number>/invoices/", invoices.invoice_list, name="invoices"),
    path("organiser/<int:number>/invoices/<int:pk>/", invoices.invoice_page_view, name="invoice"),
    path(
        "organiser/<int:number>/invoices/<int:pk>/invoice.pdf",
        invoices.invoice_pdf,
        name="invoice_pdf",
    ),
    path(
        "organiser/<int:number>/invoices/<int:pk>/credit-note/",
        invoices.credit_note_new,
        name="credit_note_new",
    ),
    path(
        "organiser/<int:number>/invoices/credit-notes/<int:pk>/credit-note.pdf",
        invoices.credit_note_pdf,
        name="credit_note_pdf",
    ),
    path(
        "organiser/<int:number>/invoices/journal.csv",
        invoices.invoice_journal,
        {"kind": "csv"},
        name="invoice_journal_csv",
    ),
    path(
        "organiser/<int:number>/invoices/journal.xlsx",
        invoices.invoice_journal,
        {"kind": "xlsx"},
        name="invoice_journal_xlsx",
    ),
    path(
        "organiser/<int:number>/invoices/deposit/", invoices.invoice_deposit, name="invoice_deposit"
    ),
    path(
        "organiser/<int:number>/invoices/runs/new/",
        invoices.invoice_run_new,
        name="invoice_run_new",
    ),
    path(
        "organiser/<int:number>/invoices/runs/<int:pk>/", invoices.invoice_run, name="invoice_run"
    ),
    path(
        "organiser/<int:number>/invoices/runs/<int:pk>/status.json",
        invoices.invoice_run_status,
        name="invoice_run_status",
    ),
    path(
        "organiser/<int:number>/invoices/<int:pk>/payment/",
        payments.payment_new,
        name="payment_new",
    ),
    path(
        "organiser/<int:number>/invoices/payments/<int:pk>/cancel/",
        payments.payment_cancel,
        name="payment_cancel",
    ),
    path(
        "organiser/<int:number>/invoices/statements/",
        payments.statement_list,
        name="statements",
    ),
    path(
        "organiser/<int:number>/invoices/statements/<int:pk>/",
        payments.statement_page,
        name="statement",
    ),
    path(
        "organiser/<int:number>/invoices/reminders/",
        payments.payment_reminders,
        name="payment_reminders",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/invoice/",
        invoices.registration_invoice,
        name="registration_invoice",
    ),
    path(
        "organiser/<int:number>/registrations/<int:pk>/payer/",
        invoices.registration_payer,
        name="registration_payer",
    ),
    path("organiser/<int:number>/mailings/new/", views.mailing_new, name="mailing_new"),
    path("organiser/<int:number>/mailings/<int:pk>/", views.mailing, name="mailing"),
    path(
        "organiser/<int:number>/mailings/<int:pk>/status.json",
        views.mailing_status,
        name="mailing_status",
    ),
]
