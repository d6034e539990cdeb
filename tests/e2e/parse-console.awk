# Splits the guest console log (markers: tests/e2e/guest-init.sh). Writes
# one line per marker to the file named by 'results':
#   SETUP OK|FAIL detail
#   RESULT name PASS|FAIL|SKIP [reason]
#   FILE name size sha256       (when the file's END marker is seen)
#   DONE
# and the base64 body of each shipped file to OUT/name.b64 ('out').

# Returns what follows "@@TAG " up to the closing "@@", or "".
function marker(line, tag,    s) {
    s = index(line, "@@" tag " ")
    if (s == 0)
        return ""
    line = substr(line, s + length(tag) + 3)
    s = index(line, "@@")
    return s ? substr(line, 1, s - 1) : ""
}
{ sub(/\r$/, "") }
file != "" {
    if ($0 ~ /@@E2E-END@@/) {
        close(b64)
        print "FILE " file " " size " " sum > results
        file = ""
    } else {
        print > b64
    }
    next
}
(m = marker($0, "E2E-FILE")) != "" {
    split(m, f, " ")
    file = f[1]; size = f[2]; sum = f[3]
    b64 = out "/" file ".b64"
    dir = b64
    sub(/\/[^\/]*$/, "", dir)
    system("mkdir -p \"" dir "\"")
    printf "" > b64
    next
}
(m = marker($0, "E2E-SETUP")) != "" { print "SETUP " m > results }
(m = marker($0, "E2E-RESULT")) != "" { print "RESULT " m > results }
index($0, "@@E2E-DONE@@") { print "DONE" > results }
