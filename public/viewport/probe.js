// The co-browse check: a library page that can show this page in a frame can show pushed pages too.
parent.postMessage("refdesk:framed", "*");
