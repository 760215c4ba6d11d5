//! Each API's OpenAPI document, snapshotted: a changed path, parameter, schema or error is a
//! visible diff in review (`cargo insta review` accepts it).

#[test]
fn products_api_document() {
    insta::assert_snapshot!("products_openapi", pimento_api::products_v1::openapi_json().unwrap());
}

#[test]
fn pim_api_document() {
    insta::assert_snapshot!("pim_openapi", pimento_api::pim::openapi_json().unwrap());
}

#[test]
fn medusa_api_document() {
    insta::assert_snapshot!("medusa_openapi", pimento_api::medusa::openapi_json().unwrap());
}

#[test]
fn cscart_api_document() {
    insta::assert_snapshot!("cscart_openapi", pimento_api::cscart::openapi_json().unwrap());
}
