// The tables of migrations/*, as diesel sees them. Types are limited to those both SQLite and
// PostgreSQL share through diesel's MultiConnection (no Bool).

diesel::table! {
    organisations (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        legal_name -> Text,
        country -> Text,
        privacy_contact -> Nullable<Text>,
        website -> Nullable<Text>,
        policy_title -> Nullable<Text>,
        policy_date -> Nullable<Date>,
        policy_source -> Nullable<Text>,
        policy_url -> Nullable<Text>,
        announce_days -> Integer,
        version -> Integer,
        revision -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
        publish_verdicts -> Integer,
        publish_reasons -> Integer,
        publish_hints -> Integer,
        publish_evidence_documents -> Integer,
    }
}

diesel::table! {
    vendors (id) {
        id -> Integer,
        organisation_id -> Integer,
        key -> Text,
        name -> Text,
        legal_entity -> Nullable<Text>,
        website -> Nullable<Text>,
        headquarters -> Nullable<Text>,
        role -> Text,
        purpose -> Text,
        status -> Text,
        proposed_on -> Nullable<Date>,
        active_from -> Nullable<Date>,
        retired_from -> Nullable<Date>,
        dpa_signed_on -> Nullable<Date>,
        dpa_url -> Nullable<Text>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    vendor_categories (vendor_id, category) {
        vendor_id -> Integer,
        category -> Text,
    }
}

diesel::table! {
    vendor_certifications (id) {
        id -> Integer,
        vendor_id -> Integer,
        framework -> Text,
        certified_from -> Date,
        certified_until -> Nullable<Date>,
        verified_on -> Date,
        parts -> Text,
    }
}

diesel::table! {
    transfers (id) {
        id -> Integer,
        vendor_id -> Integer,
        position -> Integer,
        country -> Nullable<Text>,
        location -> Nullable<Text>,
        tia_on -> Nullable<Date>,
        supplementary_measures -> Nullable<Text>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        ended_from -> Nullable<Date>,
        outside_scope -> Text,
    }
}

diesel::table! {
    transfer_mechanisms (transfer_id, position) {
        transfer_id -> Integer,
        position -> Integer,
        mechanism -> Text,
        signed_on -> Nullable<Date>,
    }
}

diesel::table! {
    transfer_data_categories (transfer_id, category) {
        transfer_id -> Integer,
        category -> Text,
    }
}

diesel::table! {
    evidence (id) {
        id -> Integer,
        vendor_id -> Integer,
        transfer_id -> Nullable<Integer>,
        certification_id -> Nullable<Integer>,
        document -> Text,
        quote -> Text,
        url -> Nullable<Text>,
    }
}

diesel::table! {
    changes (id) {
        id -> Integer,
        organisation_id -> Integer,
        vendor_id -> Nullable<Integer>,
        kind -> Text,
        summary -> Text,
        announced_on -> Date,
        effective_on -> Date,
        created_at -> Timestamp,
        reason -> Nullable<Text>,
        amends -> Nullable<Integer>,
        hash -> Text,
    }
}

diesel::table! {
    versions (id) {
        id -> Integer,
        organisation_id -> Integer,
        vendor_id -> Integer,
        fact -> Text,
        fact_id -> Integer,
        effective_from -> Date,
        recorded_at -> Timestamp,
        change_id -> Nullable<Integer>,
        body -> Nullable<Text>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Integer,
        occurred_at -> Timestamp,
        actor -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<Integer>,
        organisation_id -> Nullable<Integer>,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Integer,
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Text,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        organisations -> Text,
    }
}

diesel::table! {
    intake_requests (id) {
        id -> Integer,
        organisation_id -> Integer,
        vendor_name -> Text,
        website -> Nullable<Text>,
        purpose -> Text,
        countries -> Text,
        data_categories -> Text,
        requester -> Text,
        status -> Text,
        decision_reason -> Nullable<Text>,
        vendor_id -> Nullable<Integer>,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        memberships -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Integer,
        token_hash -> Text,
        user_id -> Integer,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Integer,
        email -> Text,
        address -> Text,
        succeeded -> Integer,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    subscribers (id) {
        id -> Integer,
        organisation_id -> Integer,
        email -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        unsubscribed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> Integer,
        organisation_id -> Integer,
        kind -> Text,
        change_id -> Nullable<Integer>,
        created_at -> Timestamp,
        fanned_out_at -> Nullable<Timestamp>,
        objection_id -> Nullable<Integer>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Integer,
        organisation_id -> Integer,
        url -> Text,
        events -> Text,
        secret -> Text,
        created_at -> Timestamp,
        created_by -> Text,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    objections (id) {
        id -> Integer,
        organisation_id -> Integer,
        change_id -> Integer,
        name -> Text,
        company -> Text,
        email -> Text,
        reason -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        filed_by -> Text,
        outcome -> Nullable<Text>,
        outcome_note -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Integer,
        organisation_id -> Integer,
        event_id -> Nullable<Integer>,
        channel -> Text,
        recipient -> Text,
        kind -> Text,
        payload -> Text,
        created_at -> Timestamp,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        attempts -> Integer,
        delivered_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    delivery_attempts (id) {
        id -> Integer,
        delivery_id -> Integer,
        attempted_at -> Timestamp,
        succeeded -> Integer,
        detail -> Text,
    }
}

diesel::table! {
    link_keys (id) {
        id -> Integer,
        secret -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reminders (user_id) {
        user_id -> Integer,
        weekly -> Integer,
        calendar_token -> Nullable<Text>,
        reminded_on -> Nullable<Date>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(vendors -> organisations (organisation_id));
diesel::joinable!(intake_requests -> organisations (organisation_id));
diesel::joinable!(vendor_categories -> vendors (vendor_id));
diesel::joinable!(vendor_certifications -> vendors (vendor_id));
diesel::joinable!(transfers -> vendors (vendor_id));
diesel::joinable!(transfer_mechanisms -> transfers (transfer_id));
diesel::joinable!(transfer_data_categories -> transfers (transfer_id));
diesel::joinable!(evidence -> vendors (vendor_id));
diesel::joinable!(changes -> organisations (organisation_id));
diesel::joinable!(versions -> vendors (vendor_id));
diesel::joinable!(subscribers -> organisations (organisation_id));
diesel::joinable!(objections -> changes (change_id));
diesel::joinable!(objections -> organisations (organisation_id));
diesel::joinable!(webhooks -> organisations (organisation_id));
diesel::joinable!(deliveries -> outbox_events (event_id));
diesel::joinable!(delivery_attempts -> deliveries (delivery_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    vendors,
    vendor_categories,
    vendor_certifications,
    transfers,
    transfer_mechanisms,
    transfer_data_categories,
    evidence,
    changes,
    versions,
    audit_events,
    api_clients,
    intake_requests,
    users,
    sessions,
    login_attempts,
    subscribers,
    outbox_events,
    deliveries,
    delivery_attempts,
    link_keys,
    webhooks,
    objections,
    reminders,
);
