"""service directory: Open Referral UK 3.0 tables (organisations, services, locations,
schedules, taxonomies...) and the postcode and place centroids used for distances

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23 14:13:02.821589
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dir_locations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('location_type', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('external_identifier', sa.Text(), nullable=True),
    sa.Column('external_identifier_type', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('dir_organizations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('logo', sa.Text(), nullable=True),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.Column('parent_organization_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('dir_places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('dir_postcodes',
    sa.Column('postcode', sa.String(length=8), nullable=False),
    sa.Column('sector', sa.String(length=6), nullable=False),
    sa.Column('district', sa.String(length=4), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('postcode')
    )
    with op.batch_alter_table('dir_postcodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_postcodes_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_postcodes_sector'), ['sector'], unique=False)

    op.create_table('dir_taxonomies',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.Column('version', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('dir_accessibility',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['dir_locations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_accessibility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_accessibility_location_id'), ['location_id'], unique=False)

    op.create_table('dir_addresses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('attention', sa.Text(), nullable=True),
    sa.Column('address_1', sa.Text(), nullable=False),
    sa.Column('address_2', sa.Text(), nullable=True),
    sa.Column('city', sa.Text(), nullable=False),
    sa.Column('region', sa.Text(), nullable=True),
    sa.Column('state_province', sa.Text(), nullable=False),
    sa.Column('postal_code', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('address_type', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['dir_locations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_addresses_location_id'), ['location_id'], unique=False)

    op.create_table('dir_organization_identifiers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=False),
    sa.Column('identifier_scheme', sa.Text(), nullable=True),
    sa.Column('identifier_type', sa.Text(), nullable=False),
    sa.Column('identifier', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['dir_organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_organization_identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_organization_identifiers_organization_id'), ['organization_id'], unique=False)

    op.create_table('dir_services',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organization_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('fees', sa.Text(), nullable=True),
    sa.Column('accreditations', sa.Text(), nullable=True),
    sa.Column('minimum_age', sa.Integer(), nullable=True),
    sa.Column('maximum_age', sa.Integer(), nullable=True),
    sa.Column('assured_date', sa.Date(), nullable=True),
    sa.Column('assurer_email', sa.Text(), nullable=True),
    sa.Column('alert', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['dir_organizations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_services_last_modified'), ['last_modified'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_services_organization_id'), ['organization_id'], unique=False)

    op.create_table('dir_taxonomy_terms',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('taxonomy', sa.Text(), nullable=True),
    sa.Column('taxonomy_id', sa.String(length=36), nullable=True),
    sa.Column('term_uri', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['taxonomy_id'], ['dir_taxonomies.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_taxonomy_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_taxonomy_terms_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_taxonomy_terms_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_taxonomy_terms_taxonomy_id'), ['taxonomy_id'], unique=False)

    op.create_table('dir_attributes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('link_id', sa.String(length=36), nullable=False),
    sa.Column('link_entity', sa.String(length=40), nullable=False),
    sa.Column('link_type', sa.Text(), nullable=True),
    sa.Column('taxonomy_term_id', sa.String(length=36), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['taxonomy_term_id'], ['dir_taxonomy_terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_attributes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_attributes_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_attributes_taxonomy_term_id'), ['taxonomy_term_id'], unique=False)

    op.create_table('dir_contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_contacts_service_id'), ['service_id'], unique=False)

    op.create_table('dir_cost_options',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('option', sa.Text(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('amount_description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_cost_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_cost_options_service_id'), ['service_id'], unique=False)

    op.create_table('dir_funding',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_funding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_funding_service_id'), ['service_id'], unique=False)

    op.create_table('dir_service_areas',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('extent', sa.Text(), nullable=True),
    sa.Column('extent_type', sa.Text(), nullable=True),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_service_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_service_areas_service_id'), ['service_id'], unique=False)

    op.create_table('dir_service_at_locations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['dir_locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_service_at_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_service_at_locations_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_service_at_locations_service_id'), ['service_id'], unique=False)

    op.create_table('dir_phones',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=True),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('extension', sa.Text(), nullable=True),
    sa.Column('type', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['dir_contacts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_phones_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_phones_service_id'), ['service_id'], unique=False)

    op.create_table('dir_schedules',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=True),
    sa.Column('service_at_location_id', sa.String(length=36), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('dtstart', sa.Text(), nullable=True),
    sa.Column('freq', sa.String(length=10), nullable=True),
    sa.Column('interval', sa.Integer(), nullable=True),
    sa.Column('byday', sa.Text(), nullable=True),
    sa.Column('bymonthday', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('opens_at', sa.String(length=20), nullable=True),
    sa.Column('closes_at', sa.String(length=20), nullable=True),
    sa.Column('schedule_link', sa.Text(), nullable=True),
    sa.Column('attending_type', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_at_location_id'], ['dir_service_at_locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_schedules_service_at_location_id'), ['service_at_location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_schedules_service_id'), ['service_id'], unique=False)

    op.create_table('dir_languages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=True),
    sa.Column('phone_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['phone_id'], ['dir_phones.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dir_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_languages_phone_id'), ['phone_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_languages_service_id'), ['service_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dir_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_languages_service_id'))
        batch_op.drop_index(batch_op.f('ix_dir_languages_phone_id'))

    op.drop_table('dir_languages')
    with op.batch_alter_table('dir_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_schedules_service_id'))
        batch_op.drop_index(batch_op.f('ix_dir_schedules_service_at_location_id'))

    op.drop_table('dir_schedules')
    with op.batch_alter_table('dir_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_phones_service_id'))
        batch_op.drop_index(batch_op.f('ix_dir_phones_contact_id'))

    op.drop_table('dir_phones')
    with op.batch_alter_table('dir_service_at_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_service_at_locations_service_id'))
        batch_op.drop_index(batch_op.f('ix_dir_service_at_locations_location_id'))

    op.drop_table('dir_service_at_locations')
    with op.batch_alter_table('dir_service_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_service_areas_service_id'))

    op.drop_table('dir_service_areas')
    with op.batch_alter_table('dir_funding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_funding_service_id'))

    op.drop_table('dir_funding')
    with op.batch_alter_table('dir_cost_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_cost_options_service_id'))

    op.drop_table('dir_cost_options')
    with op.batch_alter_table('dir_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_contacts_service_id'))

    op.drop_table('dir_contacts')
    with op.batch_alter_table('dir_attributes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_attributes_taxonomy_term_id'))
        batch_op.drop_index(batch_op.f('ix_dir_attributes_link_id'))

    op.drop_table('dir_attributes')
    with op.batch_alter_table('dir_taxonomy_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_taxonomy_terms_taxonomy_id'))
        batch_op.drop_index(batch_op.f('ix_dir_taxonomy_terms_parent_id'))
        batch_op.drop_index(batch_op.f('ix_dir_taxonomy_terms_code'))

    op.drop_table('dir_taxonomy_terms')
    with op.batch_alter_table('dir_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_services_organization_id'))
        batch_op.drop_index(batch_op.f('ix_dir_services_last_modified'))

    op.drop_table('dir_services')
    with op.batch_alter_table('dir_organization_identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_organization_identifiers_organization_id'))

    op.drop_table('dir_organization_identifiers')
    with op.batch_alter_table('dir_addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_addresses_location_id'))

    op.drop_table('dir_addresses')
    with op.batch_alter_table('dir_accessibility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_accessibility_location_id'))

    op.drop_table('dir_accessibility')
    op.drop_table('dir_taxonomies')
    with op.batch_alter_table('dir_postcodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_postcodes_sector'))
        batch_op.drop_index(batch_op.f('ix_dir_postcodes_district'))

    op.drop_table('dir_postcodes')
    op.drop_table('dir_places')
    op.drop_table('dir_organizations')
    op.drop_table('dir_locations')
