#!/usr/bin/env python3
# check-botocore-sigv4.py — our SigV4 against botocore's, for every request shape we send.
#
# Usage: check-botocore-sigv4.py AWS_SIGN_TOOL
#
# For fixed credentials (with a session token), botocore (AWS's own Python SDK: Debian's
# python3-botocore) builds and signs each request; we capture it just before it would be sent,
# hand the same method, path, query, headers, body and signing time (its X-Amz-Date) to
# aws-sign-tool (our C signer) and require the identical Authorization header — or, for the
# presigned S3 PUT, the identical signed URL. Output is TAP. Nothing leaves the machine: the
# send is intercepted.
import base64
import json
import subprocess
import sys
import urllib.parse

try:
    import botocore
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    import botocore.session
    import botocore.utils
    from botocore.config import Config
except ImportError as error:
    print("1..1")
    print(f"not ok 1 - botocore is missing ({error}): run build-aux/install-deps test "
          "(Debian package python3-botocore)")
    sys.exit(1)

TOOL = sys.argv[1]
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE/+token=="
REGION = "eu-west-1"


class Captured(Exception):
    def __init__(self, request):
        super().__init__("captured")
        self.request = request


def capture(request, **kwargs):
    raise Captured(request)


def make_client(service, endpoint_url=None, **config):
    session = botocore.session.get_session()
    session.set_credentials(ACCESS_KEY, SECRET_KEY, TOKEN)
    client = session.create_client(service, region_name=REGION, endpoint_url=endpoint_url,
                                   config=Config(retries={"max_attempts": 0}, **config))
    client.meta.events.register("before-send", capture)
    return client


def captured_request(call):
    try:
        call()
    except Captured as captured:
        return captured.request
    raise RuntimeError("botocore sent nothing")


def signed_header_names(authorization):
    part = [p for p in authorization.split(", ") if p.startswith("SignedHeaders=")][0]
    return part[len("SignedHeaders="):].split(";")


def spec_for(request, service, s3):
    url = urllib.parse.urlsplit(request.url)
    authorization = request.headers["Authorization"]
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    names = signed_header_names(authorization)
    amz_date = request.headers["X-Amz-Date"]
    if isinstance(amz_date, bytes):
        amz_date = amz_date.decode()
    headers = []
    for name, value in request.headers.items():
        if isinstance(value, bytes):
            value = value.decode()
        lower = name.lower()
        # Our signer sets these itself (from the time, the token, the body).
        if lower in ("authorization", "x-amz-date", "x-amz-security-token"):
            continue
        if lower in names:
            headers.append([name, value])
    if "host" in names and not any(h[0].lower() == "host" for h in headers):
        headers.append(["Host", url.netloc])
    body = request.body
    if body is None:
        body = b""
    if isinstance(body, str):
        body = body.encode()
    if hasattr(body, "read"):
        body = body.read()
    return authorization, {
        "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "session_token": TOKEN,
        "region": REGION, "service": service, "s3": s3,
        "time": amz_date, "method": request.method, "path": url.path or "/",
        "query": urllib.parse.parse_qsl(url.query, keep_blank_values=True),
        "headers": headers,
        "body_base64": base64.b64encode(bytes(body)).decode(),
    }


def run_tool(spec):
    result = subprocess.run([TOOL], input=json.dumps(spec).encode(), capture_output=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"aws-sign-tool failed: {result.stderr.decode()}")
    return json.loads(result.stdout)


def query_protocol_request(service, host, params, version):
    # Our SQS and SNS clients speak the query protocol: a form POST to "/".
    body = urllib.parse.urlencode(dict(params, Version=version))
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=f"https://{host}/", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    credentials = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY, TOKEN)
    botocore.auth.SigV4Auth(credentials, service, REGION).add_auth(request)
    return request


CASES = []


def case(name):
    def register(function):
        CASES.append((name, function))
        return function
    return register


@case("S3 PutObject (path and key with a space and UTF-8)")
def s3_put():
    client = make_client("s3")
    return "s3", True, captured_request(lambda: client.put_object(
        Bucket="bookimg-uploads", Key="job-1714566645000-abcdefghijklmnopqrstuv/photo 1 ñ.jpg",
        Body=b"\xff\xd8\xff\xe0 not really a jpeg", ContentType="image/jpeg"))


@case("S3 GetObject")
def s3_get():
    client = make_client("s3")
    return "s3", True, captured_request(lambda: client.get_object(
        Bucket="bookimg-results", Key="job-1714566645000-abcdefghijklmnopqrstuv/ocr.json"))


@case("SQS SendMessage (botocore's own protocol)")
def sqs_botocore():
    client = make_client("sqs")
    return "sqs", False, captured_request(lambda: client.send_message(
        QueueUrl=f"https://sqs.{REGION}.amazonaws.com/123456789012/bookimg-ocr",
        MessageBody='{"jobId":"job-1714566645000-abcdefghijklmnopqrstuv","key":"a b+c"}'))


@case("SQS SendMessage (query protocol, as our client sends it)")
def sqs_query():
    return "sqs", False, query_protocol_request("sqs", f"sqs.{REGION}.amazonaws.com", {
        "Action": "SendMessage",
        "QueueUrl": f"https://sqs.{REGION}.amazonaws.com/123456789012/bookimg-ocr",
        "MessageBody": '{"jobId":"job-1","text":"ñ & = +"}'}, "2012-11-05")


@case("SNS Publish")
def sns_publish():
    client = make_client("sns")
    return "sns", False, captured_request(lambda: client.publish(
        TopicArn=f"arn:aws:sns:{REGION}:123456789012:bookimg-results",
        Message='{"jobId":"job-1","status":"complete","books":[]}'))


@case("DynamoDB PutItem")
def dynamodb_put():
    client = make_client("dynamodb")
    return "dynamodb", False, captured_request(lambda: client.put_item(
        TableName="bookimg-subscriptions",
        Item={"jobId": {"S": "job-1"}, "connectionId": {"S": "L0SM9cOFvHcCIhw="},
              "expiresAt": {"N": "1714570245"}}))


@case("API Gateway PostToConnection (connection id with '=')")
def apigateway_post():
    client = make_client("apigatewaymanagementapi",
                         "https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod")
    return "execute-api", False, captured_request(lambda: client.post_to_connection(
        ConnectionId="L0SM9cOFvHcCIhw=", Data=b'{"type":"pong"}'))


@case("Textract DetectDocumentText")
def textract_detect():
    client = make_client("textract")
    return "textract", False, captured_request(lambda: client.detect_document_text(
        Document={"Bytes": b"\x89PNG\r\n\x1a\n not really a png"}))


@case("Bedrock Runtime Converse (model id with ':')")
def bedrock_converse():
    model_id = "anthropic.claude-3-haiku-20240307-v1:0"
    messages = [{"role": "user", "content": [{"text": "Spines: …"}]}]
    if "bedrock-runtime" in botocore.session.get_session().get_available_services():
        client = make_client("bedrock-runtime")
        return "bedrock", False, captured_request(lambda: client.converse(
            modelId=model_id, messages=messages))
    # Debian 12's botocore predates Bedrock: build the documented request the way botocore's
    # REST-JSON serializer does (the model id is a path label, percent-encoded) and sign it
    # with botocore's SigV4.
    request = botocore.awsrequest.AWSRequest(
        method="POST",
        url=(f"https://bedrock-runtime.{REGION}.amazonaws.com/model/"
             f"{botocore.utils.percent_encode(model_id)}/converse"),
        data=json.dumps({"messages": messages}).encode(),
        headers={"Content-Type": "application/json"})
    credentials = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY, TOKEN)
    botocore.auth.SigV4Auth(credentials, "bedrock", REGION).add_auth(request)
    return "bedrock", False, request


def check_presigned_put():
    client = make_client("s3", signature_version="s3v4")
    url = client.generate_presigned_url(
        "put_object", ExpiresIn=900,
        Params={"Bucket": "bookimg-uploads", "ContentType": "image/jpeg",
                "Key": "job-1714566645000-abcdefghijklmnopqrstuv/photo 1.jpg"})
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    signed = dict(query)["X-Amz-SignedHeaders"].split(";")
    headers = [["Host", parts.netloc]]
    if "content-type" in signed:
        headers.append(["Content-Type", "image/jpeg"])
    ours_query = [(k, v) for k, v in query if not k.startswith("X-Amz-")]
    spec = {
        "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "session_token": TOKEN,
        "region": REGION, "service": "s3", "s3": True,
        "time": dict(query)["X-Amz-Date"], "method": "PUT", "path": parts.path,
        "query": ours_query, "headers": headers, "presign_expires": 900,
    }
    ours = urllib.parse.urlsplit(run_tool(spec)["target"])
    return (sorted(query) == sorted(urllib.parse.parse_qsl(ours.query,
                                                          keep_blank_values=True))
            and ours.path == parts.path and "content-type" in signed,
            f"botocore {parts.path}?{parts.query}\n# ours     {ours.path}?{ours.query}")


def main():
    print(f"# botocore {botocore.__version__}")
    print(f"1..{len(CASES) + 1}")
    failed = 0
    for number, (name, function) in enumerate(CASES, start=1):
        try:
            service, s3, request = function()
            expected, spec = spec_for(request, service, s3)
            got = run_tool(spec)["authorization"]
        except Exception as error:  # a failure of any kind is this case's failure
            print(f"not ok {number} - {name}: {error}")
            failed += 1
            continue
        if got == expected:
            print(f"ok {number} - {name}")
        else:
            print(f"not ok {number} - {name}\n# botocore {expected}\n# ours     {got}")
            failed += 1
    try:
        same, detail = check_presigned_put()
    except Exception as error:
        same, detail = False, str(error)
    number = len(CASES) + 1
    print(f"{'ok' if same else 'not ok'} {number} - S3 presigned PUT with Content-Type"
          + ("" if same else f"\n# {detail}"))
    failed += 0 if same else 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
