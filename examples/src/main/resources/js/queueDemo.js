// eventloop4j examples tour: queueDemo, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.
// --- seed: begin ---
// Microtask vs Macrotask demonstration
function queueDemo() {
    console.log('Script start');
    
    // Macrotasks
    setTimeout(() => console.log('setTimeout'), 0);
    setImmediate(() => console.log('setImmediate'));
    
    // Microtasks
    Promise.resolve().then(() => console.log('Promise 1'));
    Promise.resolve().then(() => {
        console.log('Promise 2');
        Promise.resolve().then(() => console.log('Promise 3'));
    });
    
    // Queue microtask during microtask execution
    queueMicrotask(() => console.log('queueMicrotask'));
    
    console.log('Script end');
}

// Output order:
// Script start
// Script end
// Promise 1
// Promise 2
// Promise 3
// queueMicrotask
// setTimeout
// setImmediate
// --- seed: end ---

// Not in the seed: run it.
queueDemo();
