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

/// Every operation lists what any of its requests can be refused with before it runs, so a
/// client (and a fuzzer checking answers against the document) meets no undocumented status:
/// a malformed parameter (400), no key (401), and on writes an `Idempotency-Key` reused or
/// still running (409, 422; CS-Cart answers both with 400).
#[test]
fn every_operation_lists_the_refusals_any_request_can_meet() {
    let docs = [
        ("products", pimento_api::products_v1::openapi_json().unwrap(), true),
        ("pim", pimento_api::pim::openapi_json().unwrap(), true),
        ("medusa", pimento_api::medusa::openapi_json().unwrap(), true),
        ("cscart", pimento_api::cscart::openapi_json().unwrap(), false),
    ];
    for (api, doc, conflicts) in docs {
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let write = ["post", "put", "patch", "delete"].contains(&method.as_str());
                let mut wanted = vec!["400", "401"];
                if write && conflicts {
                    wanted.extend(["409", "422"]);
                }
                for status in wanted {
                    let r = &op["responses"][status];
                    assert!(r.is_object(), "{api}: {method} {path} does not list {status}");
                    assert!(
                        r["content"]["application/json"]["schema"]["$ref"].is_string(),
                        "{api}: {method} {path}: {status} has no error body"
                    );
                }
            }
        }
    }
}
