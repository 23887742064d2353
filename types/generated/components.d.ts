import type { Schema, Struct } from '@strapi/strapi';

export interface BulletinRecipient extends Struct.ComponentSchema {
  collectionName: 'components_bulletin_recipients';
  info: {
    description: '\u7248\u8BB0\u4E00\u884C\u4E2D\u7684\u4E00\u4E2A\u53D1\u9001\u8303\u56F4\uFF0C\u6309\u987A\u5E8F\u6392\u5217';
    displayName: '\u53D1\u9001\u5BF9\u8C61';
  };
  attributes: {
    group: Schema.Attribute.Relation<
      'oneToOne',
      'api::recipient-group.recipient-group'
    >;
    label: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 200;
      }>;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'bulletin.recipient': BulletinRecipient;
    }
  }
}
